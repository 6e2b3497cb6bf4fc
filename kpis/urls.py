from django.urls import path

from kpis import views

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
]
