"""Staff pages for questions that branch: the routing drawn as a list, and a question's route."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from moot.consultations.forms.routing import QuestionRouteForm
from moot.consultations.selectors.access import consultation_for_staff
from moot.consultations.selectors.responses import questionnaire
from moot.consultations.services import routing
from moot.consultations.views.staff import _posted, staff_required
from moot.core.permissions import Capability


@staff_required
def staff_routing(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = consultation_for_staff(
        user=request.user, slug=slug, capability=Capability.CONTENT
    )
    routes = routing.routing_map(questions=questionnaire(consultation=consultation))
    context = {"consultation": consultation, "map": routes}
    return render(request, "consultations/staff/routing.html", context)


@staff_required
def staff_question_route(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    consultation = consultation_for_staff(
        user=request.user, slug=slug, capability=Capability.CONTENT
    )
    questions = questionnaire(consultation=consultation)
    question = next((q for q in questions if q.key == key), None)
    if question is None:
        raise Http404("No such question")
    initial = {"shown_if_options": [option.pk for option in question.shown_if_options.all()]}
    form = QuestionRouteForm(
        _posted(request), initial=initial, question=question, questions=questions
    )
    if request.method == "POST" and form.is_valid():
        try:
            routing.question_route_set(
                question=question,
                shown_if_question=form.trigger,
                shown_if_options=form.cleaned_data["shown_if_options"],
            )
        except routing.RoutingError as error:
            form.add_error("shown_if_options", str(error))
        else:
            messages.success(request, f"The route to question {question.key} has been saved.")
            return redirect("consultations:staff_routing", slug=slug)
    context = {"consultation": consultation, "question": question, "form": form}
    status = 400 if form.errors else 200
    return render(request, "consultations/staff/question_route.html", context, status=status)
