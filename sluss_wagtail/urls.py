"""Public URLs that are not pages. Include them in the site's URLconf::

path("idesluss/", include("sluss_wagtail.urls")),
"""

from django.urls import path

from . import dialogue_views, following_views, portfolio_views, views

app_name = "sluss_wagtail"

urlpatterns = [
    path("status/<slug:token>/", views.IdeaStatusView.as_view(), name="idea_status"),
    path("status/<slug:token>/withdraw/", views.IdeaWithdrawView.as_view(), name="idea_withdraw"),
    path("status/<slug:token>/erase/", views.IdeaEraseView.as_view(), name="idea_erase"),
    path(
        "status/<slug:token>/consent/",
        views.IdeaConsentView.as_view(),
        name="idea_withdraw_consent",
    ),
    # Following and support (``following_views``).
    path("follow/<str:kind>/<int:pk>/", following_views.FollowView.as_view(), name="follow"),
    path("support/<int:pk>/", following_views.SupportView.as_view(), name="support"),
    path(
        "follow/confirm/<str:token>/",
        following_views.ConfirmView.as_view(),
        name="follow_confirm",
    ),
    path(
        "follow/unsubscribe/<str:token>/",
        following_views.UnsubscribeView.as_view(),
        name="follow_unsubscribe",
    ),
    path(
        "follow/manage/<str:token>/",
        following_views.ManageView.as_view(),
        name="follow_manage",
    ),
    path(
        "status/<slug:token>/answer/",
        dialogue_views.DialogueAnswerView.as_view(),
        name="dialogue_answer",
    ),
    path(
        "status/<slug:token>/take-part/",
        dialogue_views.ParticipationView.as_view(),
        name="dialogue_participation",
    ),
    path("similar/", portfolio_views.similar_ideas, name="similar_ideas"),
]
