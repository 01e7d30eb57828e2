from django.urls import path

from faq import adviser_views as views

app_name = "advisers_faq"

urlpatterns = [
    path("", views.entry_list, name="list"),
    path("new/", views.entry_new, name="new"),
    path("<int:entry_id>/", views.entry_edit, name="edit"),
    path("<int:entry_id>/state/", views.entry_state, name="state"),
    path("<int:entry_id>/revisions/", views.revisions, name="revisions"),
    path(
        "<int:entry_id>/revisions/<int:number>/restore/",
        views.revision_restore,
        name="restore",
    ),
    path("from-question/<int:question_id>/", views.from_question, name="from_question"),
    path("gaps/", views.gaps, name="gaps"),
    path("tags/", views.tags, name="tags"),
    path("tags/<int:tag_id>/", views.tag_change, name="tag_change"),
    path("synonyms/", views.synonyms, name="synonyms"),
    path("synonyms/<int:group_id>/", views.synonyms, name="synonym"),
]
