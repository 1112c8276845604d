"""Public URLs that are not pages. Include them in the site's URLconf::

path("idesluss/", include("sluss_wagtail.urls")),
"""

from django.urls import path

from . import portfolio_views, views

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
    path("similar/", portfolio_views.similar_ideas, name="similar_ideas"),
]
