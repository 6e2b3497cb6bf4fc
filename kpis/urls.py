from django.urls import path

from kpis import round_trip_views, views

app_name = "kpis"

urlpatterns = [
    path("kpis/", views.kpi_list, name="kpi_list"),
    path("actions/<int:pk>/", views.action_detail, name="action"),
    path("my/", views.my_actions, name="my_actions"),
    path("updates/<int:action_pk>/<int:term_pk>/", views.update_page, name="update"),
    path("updates/<int:action_pk>/<int:term_pk>/save/", views.update_save, name="update_save"),
    path(
        "updates/<int:action_pk>/<int:term_pk>/submit/", views.update_submit, name="update_submit"
    ),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<int:pk>/", views.approval_detail, name="approval"),
    path("approvals/<int:pk>/approve/", views.approve, name="approve"),
    path("approvals/<int:pk>/return/", views.return_update, name="return"),
    path("plan/import/", views.plan_import_start, name="plan_import_start"),
    path("plan/import/template.xlsx", views.plan_import_template, name="plan_import_template"),
    path("plan/import/<int:pk>/", views.plan_import_preview, name="plan_import_preview"),
    path(
        "plan/import/<int:pk>/confirm/", views.plan_import_confirm_view, name="plan_import_confirm"
    ),
    path("plan/import/<int:pk>/retry/", views.plan_import_retry, name="plan_import_retry"),
    path("plan/excel/", round_trip_views.round_trip_start, name="round_trip_start"),
    path("plan/excel/plan.xlsx", round_trip_views.plan_export, name="plan_export"),
    path("plan/excel/upload/", round_trip_views.round_trip_upload, name="round_trip_upload"),
    path("plan/excel/<int:pk>/", round_trip_views.round_trip_preview, name="round_trip_preview"),
    path(
        "plan/excel/<int:pk>/confirm/",
        round_trip_views.round_trip_confirm_view,
        name="round_trip_confirm",
    ),
    path("plan/excel/<int:pk>/retry/", round_trip_views.round_trip_retry, name="round_trip_retry"),
]
