"""Print a record page as PDF (WeasyPrint) with its marking banner.

    from relais.core.exports.pdf import render_pdf
    return render_pdf(request, "referential/post_detail.html", context, filename="ssi-madrid",
                      marking=post.marking)
"""

# STUB interface — implemented by the exports work.


def render_pdf(request, template_name: str, context: dict, *, filename: str, marking: str):
    raise NotImplementedError
