from django.urls import path

from . import views

urlpatterns = [
    path("zj/<int:pk>/", views.solicitation, name="participation_solicitation"),
    path("dc/<int:pk>/", views.survey, name="participation_survey"),
    path("ft/<int:pk>/", views.interview, name="participation_interview"),
    path("<str:kind>/<int:pk>/done/", views.done, name="participation_done"),
]
