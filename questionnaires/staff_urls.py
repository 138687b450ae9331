"""Staff pages for forms, under /<lang>/staff/forms/."""

from django.urls import path

from questionnaires import staff_views as views

app_name = "questionnaires_staff"
urlpatterns = [
    path("", views.questionnaire_list, name="questionnaire_list"),
    path("new/", views.questionnaire_create, name="questionnaire_create"),
    path("import/", views.questionnaire_import, name="questionnaire_import"),
    path("<int:pk>/", views.questionnaire_detail, name="questionnaire_detail"),
    path("<int:pk>/edit/", views.questionnaire_edit, name="questionnaire_edit"),
    path("<int:pk>/try/", views.questionnaire_try, name="questionnaire_try"),
    path("<int:pk>/archive/", views.questionnaire_archive, name="questionnaire_archive"),
    path("<int:pk>/reopen/", views.questionnaire_reopen, name="questionnaire_reopen"),
    path("<int:pk>/draft/", views.draft_editor, name="draft_editor"),
    path("<int:pk>/draft/start/", views.draft_start, name="draft_start"),
    path("<int:pk>/draft/publish/", views.draft_publish, name="draft_publish"),
    path("<int:pk>/draft/discard/", views.draft_discard, name="draft_discard"),
    path("<int:pk>/draft/sections/new/", views.section_create, name="section_create"),
    path("<int:pk>/draft/sections/<str:code>/edit/", views.section_edit, name="section_edit"),
    path("<int:pk>/draft/sections/<str:code>/delete/", views.section_delete, name="section_delete"),
    path("<int:pk>/draft/sections/<str:code>/move/", views.section_move, name="section_move"),
    path(
        "<int:pk>/draft/sections/<str:section>/questions/new/",
        views.question_create,
        name="question_create",
    ),
    path("<int:pk>/draft/questions/<str:code>/edit/", views.question_edit, name="question_edit"),
    path(
        "<int:pk>/draft/questions/<str:code>/delete/",
        views.question_delete,
        name="question_delete",
    ),
    path("<int:pk>/draft/questions/<str:code>/move/", views.question_move, name="question_move"),
    path("<int:pk>/draft/rules/new/", views.rule_create, name="rule_create"),
    path("<int:pk>/draft/rules/<str:code>/edit/", views.rule_edit, name="rule_edit"),
    path("<int:pk>/draft/rules/<str:code>/delete/", views.rule_delete, name="rule_delete"),
]
