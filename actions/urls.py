from django.urls import path

from actions import views

app_name = "actions"

urlpatterns = [
    path("commitments/<int:number>/", views.commitment_detail, name="commitment"),
    path("actions/", views.action_list, name="list"),
]
