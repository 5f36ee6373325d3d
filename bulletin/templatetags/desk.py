from django import template

from bulletin import desk

register = template.Library()


@register.inclusion_tag("admin/bulletin/_desk.html", takes_context=True)
def staff_desk(context):
    """The desk of the signed-in user's role, on the admin home."""
    request = context.get("request")
    return {"desk": desk.desk_for(request) if request else None, "request": request}
