from django.urls import path

from tianping.party import views

app_name = "party"

urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("organisations/<int:pk>/pictures/", views.picture_add, name="picture_add"),
    path("organisations/<int:pk>/committee/new/", views.committee_create, name="committee_create"),
    path("organisations/<int:pk>/committee/<int:post_pk>/", views.committee_edit, name="committee_edit"),
    path("pictures/<int:pk>/", views.picture_file, name="picture_file"),
    path("pictures/<int:pk>/delete/", views.picture_delete, name="picture_delete"),
    path("members/", views.member_list, name="member_list"),
    path("members/new/", views.member_create, name="member_create"),
    path("members/me/", views.my_record, name="my_record"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/step/", views.member_step, name="member_step"),
    path("steps/<int:pk>/evidence/", views.evidence_file, name="evidence_file"),
    path("members/<int:pk>/transfer-out/", views.member_transfer_out, name="member_transfer_out"),
    path("members/<int:pk>/status/", views.member_status, name="member_status"),
    path("members/<int:pk>/branch/", views.member_branch, name="member_branch"),
    path("members/<int:pk>/dues-base/", views.member_base, name="member_base"),
    path("members/<int:pk>/dues-reduction/", views.member_reduction, name="member_reduction"),
    path("members/<int:pk>/dues/", views.dues_member, name="dues_member"),
    path("transfers/", views.transfer_list, name="transfer_list"),
    path("transfers/in/", views.transfer_in, name="transfer_in"),
    path("dues/", views.dues_sheet_view, name="dues_sheet"),
    path("dues/pay/", views.dues_pay, name="dues_pay"),
    path("dues/pay-all/", views.dues_pay_all, name="dues_pay_all"),
    path("dues/arrears/", views.dues_arrears, name="dues_arrears"),
    path("dues/totals/", views.dues_totals, name="dues_totals"),
    path("rules/", views.dues_rules, name="rules"),
    path("points/", views.points_ledger, name="points_ledger"),
    path("points/adjust/", views.points_adjust, name="points_adjust"),
    path("points/<int:pk>/reverse/", views.points_reverse, name="points_reverse"),
    path("points/ranking/", views.points_ranking, name="points_ranking"),
]
