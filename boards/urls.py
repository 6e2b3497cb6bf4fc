from django.urls import path

from boards import export_views, feed_views, overview_views, period_views, views

app_name = "boards"

urlpatterns = [
    path("plans/", overview_views.plans_overview, name="plans"),
    path("boards/", views.board_list, name="list"),
    path("boards/<slug:slug>/", views.board_dashboard, name="dashboard"),
    path("boards/<slug:slug>/plan.xlsx", export_views.board_export, name="board_export"),
    path("reporting-period/", period_views.reporting_period, name="reporting_period"),
    path(
        "reporting-period/<int:pk>/",
        period_views.reporting_period_check,
        name="reporting_period_check",
    ),
    path(
        "reporting-period/<int:pk>/publish/",
        period_views.reporting_period_publish,
        name="reporting_period_publish",
    ),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/packs/", views.pack_generate, name="pack_generate"),
    path("packs/<int:pk>/", views.pack_detail, name="pack"),
    path("packs/<int:pk>/retry/", views.pack_retry, name="pack_retry"),
    path("packs/<int:pk>/pdf/", views.pack_pdf, name="pack_pdf"),
    path("packs/<int:pk>/pdf/retry/", views.pack_pdf_retry, name="pack_pdf_retry"),
    path("packs/<int:pk>/public-pdf/retry/", views.public_pdf_retry, name="public_pdf_retry"),
    path("packs/<int:pk>/xlsx/", views.pack_xlsx, name="pack_xlsx"),
    path("packs/<int:pk>/publish/check/", views.pack_publish_check, name="pack_publish_check"),
    path("packs/<int:pk>/publish/", views.pack_publish, name="pack_publish"),
    path("packs/<int:pk>/withdraw/", views.pack_withdraw, name="pack_withdraw"),
    path("public/packs/<str:token>/", views.public_pack, name="public_pack"),
    path("public/packs/<str:token>/pdf/", views.public_pack_pdf, name="public_pack_pdf"),
    path("public/packs/<str:token>/xlsx/", views.public_pack_xlsx, name="public_pack_xlsx"),
    path("feed/openapi.json", feed_views.openapi_json, name="feed_openapi"),
    path("feed/tokens/", feed_views.feed_tokens, name="feed_tokens"),
    path("feed/tokens/new/", feed_views.feed_token_new, name="feed_token_new"),
    path(
        "feed/tokens/<int:pk>/revoke/", feed_views.feed_token_revoke_view, name="feed_token_revoke"
    ),
    path("feed/<slug:resource>.json", feed_views.feed_json, name="feed_json"),
    path("feed/<slug:resource>.csv", feed_views.feed_csv, name="feed_csv"),
]
