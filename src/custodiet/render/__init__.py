"""Renderers for readers: charts (SVG, PNG, CSV), due-diligence reports (HTML, PDF)
and Atom feeds."""
