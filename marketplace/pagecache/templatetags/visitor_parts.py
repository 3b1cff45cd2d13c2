"""`{% visitor_part "name" %}`: render a per-visitor part of a shared page
in place, marked so that marketplace.pagecache.parts can render it again
for another visitor (see that module for what a part may read)."""

from django import template

from marketplace.pagecache.parts import PARTS, part_mark

register = template.Library()


@register.simple_tag(takes_context=True)
def visitor_part(context, name: str):
    html = context.template.engine.get_template(PARTS[name]).render(context)
    return part_mark(name, html)
