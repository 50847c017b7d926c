"""The picture of the flows page: a grid of structures (who sends, in rows) × structures (who
receives, in columns), drawn on the server as SVG, each cell holding its number.

It reads without colour: every non-empty cell writes its count, and the shade (four steps) only
repeats it. Each structure gets a number, written at the head of its row and of its column. The
flows table of the page gives the same figures: it is the picture's text alternative.
"""

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

MAX_STRUCTURES = 12
OTHERS = "autres structures"
CELL = 34
LABEL_WIDTH = 320
HEADER = 40
# Four shades of the site's blue, light to dark, and the ink that reads on each.
SHADES = (("#e3ecfa", "#1e1e1e"), ("#b7cdf1", "#1e1e1e"), ("#5b87d6", "#ffffff"), ("#1f4f9e", "#ffffff"))


@dataclass
class FlowGrid:
    names: list  # the structures, in the order of their numbers
    counts: dict  # (row, column) → count
    title: str

    @property
    def empty(self):
        return not self.counts

    def _shade(self, count, top):
        step = min(len(SHADES) - 1, (len(SHADES) * (count - 1)) // top) if top else 0
        return SHADES[step]

    def render(self):
        size = len(self.names)
        width = LABEL_WIDTH + size * CELL + 2
        height = HEADER + size * CELL + 2
        top = max(self.counts.values(), default=0)
        parts = [
            format_html(
                '<text x="{}" y="{}" class="grid-head" text-anchor="end">de ↓ / vers →</text>', LABEL_WIDTH - 8, 24
            )
        ]
        for index, name in enumerate(self.names):
            number = index + 1
            short = name if len(name) <= 32 else name[:31].rstrip() + "…"
            y = HEADER + index * CELL
            x = LABEL_WIDTH + index * CELL
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="end" class="grid-label">{} · {}<title>{}</title></text>',
                    LABEL_WIDTH - 8,
                    y + CELL / 2 + 5,
                    short,
                    number,
                    name,
                )
            )
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" class="grid-head">{}<title>{}</title></text>',
                    x + CELL / 2,
                    HEADER - 10,
                    number,
                    name,
                )
            )
        for row in range(size):
            for column in range(size):
                x = LABEL_WIDTH + column * CELL
                y = HEADER + row * CELL
                count = self.counts.get((row, column), 0)
                if not count:
                    parts.append(
                        format_html(
                            '<rect x="{}" y="{}" width="{}" height="{}" class="grid-empty"/>', x, y, CELL, CELL
                        )
                    )
                    continue
                fill, ink = self._shade(count, top)
                label = f"{self.names[row]} vers {self.names[column]} : {count} orientation{'s' if count > 1 else ''}"
                parts.append(
                    format_html(
                        '<g><title>{}</title><rect x="{}" y="{}" width="{}" height="{}" fill="{}" class="grid-cell"/>'
                        '<text x="{}" y="{}" text-anchor="middle" fill="{}" class="grid-count">{}</text></g>',
                        label,
                        x,
                        y,
                        CELL,
                        CELL,
                        fill,
                        x + CELL / 2,
                        y + CELL / 2 + 5,
                        ink,
                        count,
                    )
                )
        return format_html(
            '<svg class="flow-grid" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
            'aria-labelledby="flux-titre flux-desc"><title id="flux-titre">{title}</title>'
            '<desc id="flux-desc">Chaque ligne est une structure qui oriente, chaque colonne une structure qui '
            "reçoit ; chaque case donne le nombre d’orientations. Le tableau qui suit donne les mêmes "
            "chiffres.</desc>{body}</svg>",
            w=width,
            h=height,
            title=self.title,
            body=mark_safe("".join(parts)),
        )

    def legend(self):
        """The numbers of the structures, for a list under the picture."""
        return format_html_join("", "<li>{} · {}</li>", ((index + 1, name) for index, name in enumerate(self.names)))


def flows_grid(result):
    """The grid of a ``queries.flows.Flows``: its busiest structures, the others merged into one."""
    ranked = [item.name for item in result.structures]
    kept = ranked[:MAX_STRUCTURES]
    if len(ranked) > MAX_STRUCTURES:
        kept = ranked[: MAX_STRUCTURES - 1] + [OTHERS]
    position = {name: index for index, name in enumerate(kept)}

    def index_of(name):
        return position.get(name, position.get(OTHERS))

    counts = {}
    for flow in result.flows:
        key = (index_of(flow.source), index_of(flow.target))
        counts[key] = counts.get(key, 0) + flow.count
    title = f"Orientations entre structures depuis le {result.since:%d/%m/%Y}"
    return FlowGrid(names=kept, counts=counts, title=title)
