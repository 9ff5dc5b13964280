from __future__ import annotations

from django.urls import path

from kneecap.web.portability import views

urlpatterns = [
    path("delete/", views.delete_account, name="kc-account-delete"),
    path("export/", views.export, name="kc-account-export"),
]
