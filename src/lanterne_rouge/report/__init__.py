"""What the athlete sees: the day read from the store, as HTML with inline SVG charts.

``view`` reads the store, ``chart`` draws SVG from plain numbers, ``html`` renders fragments
(shared with the dashboard) and the self-contained daily report ``report-ATHLETE-YYYY-MM-DD.html``.
"""
