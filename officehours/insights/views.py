"""The advisers' insights page, and each figure as CSV for the period shown."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format

from officehours import csvcells
from officehours.booking.models import Series
from officehours.insights import charts, figures
from officehours.insights.period import PeriodForm
from officehours.permissions import adviser_required


def _chosen(request):
    form = PeriodForm(request.GET or None)
    period = form.chosen()
    series_id = form.cleaned_data.get("series") if form.is_bound and form.is_valid() else None
    return form, period, series_id


@adviser_required
def insights(request):
    form, period, series_id = _chosen(request)
    shown = figures.all_figures(period, series_id)
    return render(
        request,
        "advisers/insights.html",
        {
            "form": form,
            "period": period,
            "series_id": series_id,
            "series_list": Series.objects.order_by("title").only("id", "title"),
            "figures": [(figure, charts.chart(figure)) for figure in shown],
            "median_hours": figures.median_hours_to_answer(period, series_id),
            "query": request.GET.urlencode(),
        },
    )


def _cell(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


@adviser_required
def figure_csv(request, key: str):
    _form, period, series_id = _chosen(request)
    wanted = [figure for figure in figures.all_figures(period, series_id) if figure.key == key]
    if not wanted:
        raise Http404
    figure = wanted[0]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    first = date_format(period.first_day, "Y-m-d")
    last = date_format(period.last_day, "Y-m-d")
    response["Content-Disposition"] = f'attachment; filename="{key}-{first}-{last}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read it as UTF-8
    # Topic names and entry titles are typed by people: no cell may start a formula.
    writer = csvcells.writer(response)
    writer.writerow(figure.columns)
    for row in figure.rows:
        writer.writerow([_cell(value) for value in row])
    return response
