from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kneecap.web.accounts import design, onboarding, reminder_views
from kneecap.web.accounts import views as accounts
from kneecap.web.api.api import api
from kneecap.web.catalog import views as catalog
from kneecap.web.coaching import views as coaching
from kneecap.web.runs import import_views, load_views
from kneecap.web.runs import views as runs
from kneecap.web.training import (
    app_views,
    export_views,
    log_views,
    outcome_views,
    plan_views,
    progress_views,
    today_views,
)

_auth = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="accounts/login.html"),
        name="kc-login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="kc-logout"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/form.html", success_url="/settings/"
        ),
        name="kc-password-change",
    ),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/form.html",
            email_template_name="accounts/password_reset_email.txt",
            success_url="/password/reset/sent/",
        ),
        name="kc-password-reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/reset_sent.html"),
        name="kc-password-reset-sent",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/form.html", success_url="/login/"
        ),
        name="password_reset_confirm",
    ),
]

urlpatterns = [
    path("", today_views.home, name="kc-home"),
    path("setup/", accounts.setup, name="kc-setup"),
    path("signup/", accounts.signup, name="kc-signup"),
    path("healthz", accounts.healthz, name="kc-healthz"),
    path("manifest.webmanifest", app_views.manifest, name="kc-manifest"),
    path("sw.js", app_views.service_worker, name="kc-sw"),
    path("offline/", app_views.offline, name="kc-offline"),
    *_auth,
    path("design/", design.design, name="kc-design"),
    path("settings/", accounts.account_settings, name="kc-settings"),
    path("settings/tokens/", accounts.create_token, name="kc-token-create"),
    path("settings/reminders/", accounts.save_reminders, name="kc-reminders"),
    path("settings/units/", accounts.save_units, name="kc-units"),
    path("reminders/off/<str:token>/", reminder_views.unsubscribe, name="kc-reminders-off"),
    path("settings/tokens/<int:token_id>/revoke/", accounts.revoke_token, name="kc-token-revoke"),
    path("onboarding/", onboarding.wizard, name="kc-onboarding"),
    path("onboarding/<slug:step>/", onboarding.wizard, name="kc-onboarding-step"),
    path("plan/", plan_views.plan_weeks, name="kc-plan"),
    path("plan/month/", plan_views.plan_month, name="kc-plan-month"),
    path("plan/pattern/", plan_views.use_pattern, name="kc-pattern"),
    path("plan/print.pdf", export_views.plan_pdf, name="kc-plan-pdf"),
    path("plan/<str:day>/workout.fit", export_views.session_fit, name="kc-session-fit"),
    path("feeds/<str:token>.ics", export_views.calendar_feed, name="kc-calendar-feed"),
    path("settings/calendar/", export_views.new_calendar_feed, name="kc-calendar-new"),
    path("settings/calendar/off/", export_views.revoke_calendar_feed, name="kc-calendar-off"),
    path("today/", today_views.today, name="kc-today"),
    path("today/settling/", today_views.settling, name="kc-settling"),
    path("today/rating/", today_views.rating, name="kc-rating"),
    path("progress/", progress_views.overview, name="kc-progress"),
    path("progress/<slug:slug>/", progress_views.exercise_progress, name="kc-exercise-progress"),
    path("progress/<slug:slug>/pin/", progress_views.pin_exercise, name="kc-pin"),
    path("progress/<slug:slug>/unpin/", progress_views.unpin_exercise, name="kc-unpin"),
    path("outcomes/", outcome_views.overview, name="kc-outcomes"),
    path("outcomes/schedule/", outcome_views.schedule, name="kc-outcome-schedule"),
    path("outcomes/<slug:instrument>/", outcome_views.answer, name="kc-outcome-form"),
    path("history/", log_views.history, name="kc-history"),
    path("history/exercise/<slug:slug>/", log_views.exercise_history, name="kc-exercise-history"),
    path("sessions/", log_views.session_record, name="kc-session-record"),
    path("sessions/new/", log_views.session_new, name="kc-session-new"),
    path("sessions/<int:session_id>/", log_views.session_detail, name="kc-session"),
    path("sessions/<int:session_id>/edit/", log_views.session_edit, name="kc-session-edit"),
    path("sessions/<int:session_id>/delete/", log_views.session_delete, name="kc-session-delete"),
    path("checkin/", log_views.checkin, name="kc-checkin"),
    path("load/", load_views.load_view, name="kc-load"),
    path("runs/", runs.run_list, name="kc-runs"),
    path("runs/import/", import_views.upload, name="kc-import-upload"),
    path("runs/import/<int:job_id>/", import_views.job_status, name="kc-import"),
    path("runs/new/", runs.run_edit, name="kc-run-new"),
    path("runs/<int:run_id>/", runs.run_detail, name="kc-run"),
    path("runs/<int:run_id>/edit/", runs.run_edit, name="kc-run-edit"),
    path("runs/<int:run_id>/delete/", runs.run_delete, name="kc-run-delete"),
    path("exercises/", catalog.exercise_list, name="kc-exercises"),
    path("exercises/new/", catalog.exercise_new, name="kc-exercise-new"),
    path("exercises/<slug:slug>/", catalog.exercise_detail, name="kc-exercise"),
    path("exercises/<slug:slug>/edit/", catalog.exercise_edit, name="kc-exercise-edit"),
    path("exercises/<slug:slug>/delete/", catalog.exercise_delete, name="kc-exercise-delete"),
    path("coaching/", coaching.links, name="kc-coaching"),
    path("coaching/athletes/", coaching.dashboard, name="kc-coach-dashboard"),
    path("coaching/athletes/<int:athlete_id>/note/", coaching.add_note, name="kc-coach-note"),
    path("coaching/athletes/<int:athlete_id>/clear/", coaching.clear, name="kc-coach-clear"),
    path("coaching/athletes/<int:athlete_id>/rules/", coaching.rules, name="kc-coach-rules"),
    path("coaching/<int:link_id>/accept/", coaching.accept, name="kc-coaching-accept"),
    path("coaching/<int:link_id>/revoke/", coaching.revoke, name="kc-coaching-revoke"),
    path("account/", include("kneecap.web.portability.urls")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
