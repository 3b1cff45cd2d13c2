"""The page's inline start-up script, printed only when a page has one.

A nonce in a page makes the page unshareable: it differs per response,
and django-csp puts it in the header only once `request.csp_nonce` is
read. Shop and CMS pages start up from static files (js/oscar-init.js), so
only the pages that add code to Oscar's `onbodyload` block (the basket,
checkout, the dashboard: all of them per visitor anyway) get the inline
script and its nonce.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


class OnloadScriptNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context) -> str:
        body = self.nodelist.render(context).strip()
        if not body:
            return ""  # never touches request.csp_nonce
        request = context.get("request")
        nonce = getattr(request, "csp_nonce", "") if request is not None else ""
        # the body is template output, escaped as the block rendered it
        return format_html(
            '<script nonce="{}">\n    $(function() {{\n{}\n    }});\n</script>',
            nonce,
            mark_safe(body),  # noqa: S308
        )


@register.tag
def onload_script(parser, token):
    """`{% onload_script %}js{% endonload_script %}`: `js` run when the DOM
    is ready, in an inline script carrying the CSP nonce, or nothing at all
    when `js` is blank."""
    nodelist = parser.parse(("endonload_script",))
    parser.delete_first_token()
    return OnloadScriptNode(nodelist)
