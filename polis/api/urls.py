from django.urls import path

from polis.api.v1 import api

urlpatterns = [path("", api.urls)]
