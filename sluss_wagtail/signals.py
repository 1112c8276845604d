"""The package's own Django signals, sent by the domain layer.

``signal_handlers.py`` turns them into notifications and into calls of the
package's Wagtail hooks, after the transaction commits: a module below the tasks
says what happened, and never imports the tasks to say who is told.
"""

from django.dispatch import Signal

#: Sent after a new idea and its first event were saved. Arguments: ``idea``.
idea_submitted = Signal()

#: Sent after ``process.move_idea`` saved a move. Arguments: ``idea``, ``event``.
idea_moved = Signal()

#: Sent after ``actions.assign_unit`` routed an idea to a unit. Arguments: ``idea``, ``event``.
unit_assigned = Signal()

#: Sent after ``actions.confirm_adoption`` confirmed an adoption. Arguments: ``adoption``.
adoption_confirmed = Signal()

#: Sent after ``actions.assign_coach`` gave an idea a coach. Arguments: ``idea``, ``event``.
coach_assigned = Signal()

#: Sent after ``dialogue`` saved a message to the idea giver (a question, a message, the
#: invitation to take part). Arguments: ``message``.
message_to_giver = Signal()

#: Sent after ``dialogue.answer`` saved the idea giver's answer and its files.
#: Arguments: ``message``.
giver_answered = Signal()

#: Sent when ``following.request_confirmation`` asks for an address's confirmation
#: e-mail (double opt-in). Arguments: ``subscription``.
confirmation_requested = Signal()
