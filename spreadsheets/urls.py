from django.urls import path

from spreadsheets import views

app_name = "spreadsheets"

urlpatterns = [
    path("plan/import/", views.plan_import_start, name="plan_import_start"),
    path("plan/import/template.xlsx", views.plan_import_template, name="plan_import_template"),
    path("plan/import/<int:pk>/", views.plan_import_preview, name="plan_import_preview"),
    path(
        "plan/import/<int:pk>/confirm/", views.plan_import_confirm_view, name="plan_import_confirm"
    ),
    path("plan/import/<int:pk>/columns/", views.plan_import_columns, name="plan_import_columns"),
    path("plan/import/<int:pk>/retry/", views.plan_import_retry, name="plan_import_retry"),
    path("plan/excel/", views.round_trip_start, name="round_trip_start"),
    path("plan/excel/plan.xlsx", views.plan_export, name="plan_export"),
    path("plan/excel/prepare/", views.plan_export_prepare, name="plan_export_prepare"),
    path("plan/excel/prepared/<int:pk>/", views.prepared_download, name="prepared_download"),
    path(
        "plan/excel/prepared/<int:pk>/workbook.xlsx",
        views.prepared_download_file,
        name="prepared_download_file",
    ),
    path("plan/excel/upload/", views.round_trip_upload, name="round_trip_upload"),
    path("plan/excel/<int:pk>/", views.round_trip_preview, name="round_trip_preview"),
    path("plan/excel/<int:pk>/confirm/", views.round_trip_confirm_view, name="round_trip_confirm"),
    path("plan/excel/<int:pk>/retry/", views.round_trip_retry, name="round_trip_retry"),
]
