from django.contrib import admin

from bury_eis.audit import HistoryAdmin
from risks.models import Risk


@admin.register(Risk)
class RiskAdmin(HistoryAdmin):
    list_display = ["plan", "reference", "title", "likelihood", "impact", "status", "review_date"]
    list_filter = ["plan", "status"]
    search_fields = ["reference", "title", "description"]
    list_select_related = ["plan"]
    filter_horizontal = ["actions", "areas"]
