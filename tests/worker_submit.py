"""Send an idea through the public form, as a browser would, in a process of its own.

``test_worker.py`` runs it (``python -m tests.worker_submit``) with ``tests.worker_settings``
against the database the worker reads, and reads the idea's reference from its output.
"""

import django


def main():
    django.setup()
    from django.test import Client

    from sluss_wagtail.models import Idea
    from tests.conftest import form_token, valid_idea_data
    from tests.factories import create_submission_page

    page = create_submission_page()
    client = Client()
    token = form_token(client.get(page.url).content.decode())
    response = client.post(page.url, valid_idea_data(form_token=token))
    assert response.status_code == 302, response.status_code
    print(Idea.objects.get().reference)


if __name__ == "__main__":
    main()
