from django.contrib import admin

from moot.parliament.models import (
    Constituency,
    Membership,
    Party,
    Person,
    Post,
    WrittenAnswer,
    WrittenQuestion,
)


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "slug"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Constituency)
class ConstituencyAdmin(admin.ModelAdmin):
    list_display = ["name", "start_date", "end_date"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["party", "constituency"]


class PostInline(admin.TabularInline):
    model = Post
    extra = 0
    autocomplete_fields = ["department"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parlparse_id", "parliament_member_id"]
    search_fields = ["name", "given_name", "family_name", "parlparse_id"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline, PostInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "house", "party", "constituency", "start_date", "end_date"]
    list_filter = ["house", "party"]
    search_fields = ["person__name", "constituency__name", "parlparse_id"]
    autocomplete_fields = ["person", "party", "constituency"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["person", "role", "department", "start_date", "end_date"]
    list_filter = ["department"]
    search_fields = ["person__name", "role", "responsibilities"]
    autocomplete_fields = ["person", "department"]


class AnswerInline(admin.StackedInline):
    model = WrittenAnswer.questions.through
    extra = 0
    verbose_name = "answer"
    verbose_name_plural = "answers"
    autocomplete_fields = ["writtenanswer"]


@admin.register(WrittenQuestion)
class WrittenQuestionAdmin(admin.ModelAdmin):
    list_display = ["heading", "date", "house", "uin", "department", "asking_person"]
    list_filter = ["house", "department", "is_withdrawn"]
    search_fields = ["heading", "text", "uin", "identifier", "asking_name"]
    date_hierarchy = "date"
    autocomplete_fields = ["department", "asking_person"]
    inlines = [AnswerInline]


@admin.register(WrittenAnswer)
class WrittenAnswerAdmin(admin.ModelAdmin):
    list_display = ["__str__", "date_answered", "department", "is_holding"]
    list_filter = ["department", "is_holding"]
    search_fields = ["body_html", "answering_name", "questions__heading"]
    date_hierarchy = "date_answered"
    autocomplete_fields = ["answering_person", "department", "questions", "corrects"]
