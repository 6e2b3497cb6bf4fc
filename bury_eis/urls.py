from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from boards import views as board_views
from bury_eis.security import session_refresh
from bury_eis.views import start

admin.site.site_header = "Bury Council – delivery plans administration"
admin.site.site_title = "Delivery plans administration"
admin.site.index_title = "Plans, measures, reporting periods, boards and users"

urlpatterns = [
    path("", board_views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("start/", start, name="start"),
    path("session/refresh/", session_refresh, name="session_refresh"),
    path("", include("actions.urls")),
    path("", include("kpis.urls")),
    path("", include("spreadsheets.urls")),
    path("", include("boards.urls")),
    path("", include("risks.urls")),
    path("admin/", admin.site.urls),
]
