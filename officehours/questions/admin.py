from django.contrib import admin

from officehours.questions.models import Question, StateChange, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_sv", "name_en", "position", "is_active"]
    list_editable = ["position", "is_active"]


class StateChangeInline(admin.TabularInline):
    model = StateChange
    extra = 0
    readonly_fields = ["actor", "from_state", "to_state", "created_at"]
    can_delete = False


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["title", "state", "topic", "language", "shared", "me_too_count", "created_at"]
    list_filter = ["state", "topic", "language", "shared"]
    search_fields = ["title", "body"]
    list_select_related = ["topic"]
    readonly_fields = ["author", "state", "merged_into", "me_too_count", "created_at"]
    inlines = [StateChangeInline]
