"""The charts carry no inline style (Content-Security-Policy): pygal's rules are in the static
`countries/charts.css`, which must stay what pygal would write."""

from relais.countries import charts


def test_the_static_stylesheet_is_what_pygal_writes():
    assert charts.STYLESHEET.read_text() == charts.stylesheet(), (
        "countries/charts.css is stale: charts.STYLESHEET.write_text(charts.stylesheet())"
    )


def test_charts_have_no_inline_style():
    svg = charts.counts_bar("Fiches par thème", [("Stupéfiants", 3), ("Terrorisme", 1)])
    svg += charts.grouped_bar("Actions", ["2025", "2026"], [("a", [1, 2]), ("b", [3, 0])])
    assert "<style" not in svg and "style=" not in svg
    assert 'class="pygal-chart"' in svg
