"""What the project's and the API's plain views share."""

from functools import wraps

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt


def get_only(view):
    """`view` for GET and HEAD; a JSON 405 for every other method, where Django's require_GET answers an empty
    HTML one. Exempt from the CSRF check, which would otherwise answer a POST first, with an HTML 403."""

    @csrf_exempt
    @wraps(view)
    def checked(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = JsonResponse({"detail": f'Method "{request.method}" not allowed.'}, status=405)
            response["Allow"] = "GET, HEAD"
            return response
        return view(request, *args, **kwargs)

    return checked
