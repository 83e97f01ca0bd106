from django.urls import path, re_path

from tianping.mediation import views

app_name = "mediation"

urlpatterns = [
    path("", views.dispute_list, name="dispute_list"),
    path("new/", views.dispute_create, name="dispute_create"),
    path("figures/", views.figures_view, name="figures"),
    path("mediators/", views.mediator_list, name="mediator_list"),
    path("mediators/new/", views.mediator_create, name="mediator_create"),
    path("mediators/<int:pk>/", views.mediator_edit, name="mediator_edit"),
    path("studios/new/", views.studio_create, name="studio_create"),
    path("studios/<int:pk>/", views.studio_edit, name="studio_edit"),
    path("committees/", views.committee_list, name="committee_list"),
    path("committees/new/", views.committee_create, name="committee_create"),
    path("committees/<int:pk>/", views.committee_edit, name="committee_edit"),
    path("committees/guidance/new/", views.guidance_create, name="guidance_create"),
    path("committees/agreement/", views.committee_agreement, name="committee_agreement"),
    path("statistics/", views.statistics_list, name="statistics"),
    path("calculator/", views.standalone_calculator, name="standalone_calculator"),
    path("calculator/<int:calc_id>/", views.saved_calculation, name="saved_calculation"),
    path("entrust/<int:case_id>/", views.case_entrust, name="case_entrust"),
    path("<int:pk>/", views.dispute_detail, name="dispute_detail"),
    path("<int:pk>/materials/", views.material_add, name="material_add"),
    path("<int:pk>/materials/<int:material_id>/", views.material_download, name="material_download"),
    path("<int:pk>/calculator/", views.calculator_view, name="calculator"),
    path("<int:pk>/calculations/<int:calc_id>/", views.calculation_detail, name="calculation_detail"),
    path("<int:pk>/documents/<str:kind>.<str:fmt>", views.dispute_document, name="document"),
] + [
    # one pattern per action (reverse("mediation:dispute_action", args=[pk, "triage"])), each view carrying the
    # action's own permission
    re_path(rf"^(?P<pk>[0-9]+)/(?P<action>{name})/$", view, name="dispute_action")
    for name, view in views.ACTION_VIEWS.items()
]
