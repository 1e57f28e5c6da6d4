from django.http import JsonResponse
from django.urls import path


def constant(request):
    return JsonResponse({"status": "ok"})


urlpatterns = [path("", constant)]
