from django.urls import path

from risks import views

app_name = "risks"

urlpatterns = [
    path("plans/<slug:plan_slug>/risks/", views.register, name="register"),
    path("plans/<slug:plan_slug>/risks/new/", views.add, name="add"),
    path("risks/<int:pk>/", views.detail, name="detail"),
    path("risks/<int:pk>/edit/", views.edit, name="edit"),
    path("risks/<int:pk>/review/", views.review, name="review"),
]
