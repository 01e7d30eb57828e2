from django.shortcuts import render

from officehours.permissions import employee_required


@employee_required
def index(request):
    """The FAQ's front page. Entries and search arrive with the FAQ issue."""
    query = request.GET.get("q", "").strip()[:200]
    return render(request, "faq/index.html", {"query": query})
