"""Template tags of the module kit (`docs/dev/kit.md`).

`{% table caption headers %}…rows…{% endtable %}` is a DSFR table: the four wrappers, the
caption, a header row declared in one line (labels separated by « | ») and the rows of the body.

    {% load relais_kit %}
    {% table "Pays" "Nom|Code ISO|Zone" id="table-pays" class="fr-table--sm" %}
      {% for country in page %}<tr>…</tr>{% empty %}<tr><td colspan="3">Aucun pays.</td></tr>{% endfor %}
    {% endtable %}

`caption` and `headers` are template expressions (a literal or a variable); `id` and `class`
(modifiers of `fr-table`) are optional. Everything is escaped but the body, which is the
template's own markup.
"""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


class TableNode(template.Node):
    def __init__(self, nodelist, caption, headers, options):
        self.nodelist, self.caption, self.headers, self.options = (
            nodelist,
            caption,
            headers,
            options,
        )

    def render(self, context):
        caption = self.caption.resolve(context)
        headers = self.headers.resolve(context) if self.headers else ""
        labels = headers.split("|") if isinstance(headers, str) else list(headers or [])
        options = {name: value.resolve(context) for name, value in self.options.items()}
        head = format_html_join(
            "", '<th scope="col">{}</th>', ((label,) for label in labels if label)
        )
        return format_html(
            '<div class="fr-table{}"{}><div class="fr-table__wrapper"><div class="fr-table__container">'
            '<div class="fr-table__content"><table><caption>{}</caption>{}<tbody>{}</tbody></table>'
            "</div></div></div></div>",
            f" {options['class']}" if options.get("class") else "",
            format_html(' id="{}"', options["id"]) if options.get("id") else "",
            caption,
            format_html("<thead><tr>{}</tr></thead>", head) if labels else "",
            self.nodelist.render(context),
        )


@register.tag("table")
def table(parser, token):
    bits = token.split_contents()[1:]
    positional, options = [], {}
    for bit in bits:
        name, sep, value = bit.partition("=")
        if sep and name in ("id", "class"):
            options[name] = parser.compile_filter(value)
        elif sep:
            raise template.TemplateSyntaxError(f"table : option inconnue « {name} »")
        else:
            positional.append(parser.compile_filter(bit))
    if not 1 <= len(positional) <= 2:
        raise template.TemplateSyntaxError("table : une légende, puis les en-têtes « A|B|C »")
    nodelist = parser.parse(("endtable",))
    parser.delete_first_token()
    return TableNode(
        nodelist, positional[0], positional[1] if len(positional) > 1 else None, options
    )
