from django.urls import path

from agreements import views

app_name = "agreements"
urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("<slug:slug>/", views.agreement_detail, name="detail"),
]
