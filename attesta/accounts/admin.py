from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from attesta.accounts.models import Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name", "kind"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(User)
class AttestaUserAdmin(UserAdmin):
    list_display = ["username", "email", "organisation", "role", "is_active"]
    list_filter = ["role", "organisation"]
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Attesta", {"fields": ("organisation", "role")}))
