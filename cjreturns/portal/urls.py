"""Page addresses (the project's to design) and the JSON API's (fixed by the interface)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.decorators.http import require_http_methods

from cjreturns.portal import api, views

YEAR = r"(?P<year>[0-9]{4}-[0-9]{2})"

portal = (
    [
        path("", views.home, name="home"),
        path(
            "sign-in/",
            require_http_methods(["GET", "POST"])(
                auth_views.LoginView.as_view(
                    template_name="portal/sign-in.html", redirect_authenticated_user=True
                )
            ),
            name="sign-in",
        ),
        path("sign-out/", auth_views.LogoutView.as_view(), name="sign-out"),
        re_path(rf"^return/{YEAR}/$", views.return_page, name="return"),
        re_path(rf"^return/{YEAR}/blank\.xlsx$", views.blank_workbook, name="blank"),
        re_path(rf"^return/{YEAR}/last-year\.xlsx$", views.previous_workbook, name="previous"),
        re_path(rf"^return/{YEAR}/upload/$", views.upload, name="upload"),
        path("submissions/<int:submission_id>/", views.submission_page, name="submission"),
        path("submissions/<int:submission_id>/original", views.original, name="original"),
        path(
            "submissions/<int:submission_id>/checked-copy.xlsx",
            views.checked_copy,
            name="checked-copy",
        ),
        path("submissions/<int:submission_id>/answer/", views.answer, name="answer"),
        path("submissions/<int:submission_id>/decide/", views.decide, name="decide"),
        re_path(rf"^analyst/{YEAR}/$", views.dashboard, name="dashboard"),
        re_path(rf"^analyst/{YEAR}/chase/$", views.chase, name="chase"),
        re_path(rf"^analyst/{YEAR}/run/$", views.run_outputs, name="run"),
        path("outputs/<int:run_id>/download", views.download_run, name="download-run"),
    ],
    "portal",
)

api_v1 = [
    re_path(rf"^returns/{YEAR}/check$", api.check, name="api-check"),
    re_path(rf"^returns/{YEAR}/submissions$", api.submissions, name="api-submissions"),
    re_path(rf"^returns/{YEAR}/status$", api.status, name="api-status"),
    re_path(rf"^returns/{YEAR}/aggregate$", api.aggregate, name="api-aggregate"),
    path("submissions/<int:submission_id>", api.submission, name="api-submission"),
    path("submissions/<int:submission_id>/queries", api.queries, name="api-queries"),
    path("submissions/<int:submission_id>/decision", api.decision, name="api-decision"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("", include(portal)),
]
