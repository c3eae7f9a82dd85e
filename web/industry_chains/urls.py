from django.urls import path

from . import views

app_name = "industry_chains"
urlpatterns = [
    path("<slug:code>/", views.town_chains, name="town"),
    path("<slug:code>/attract.xlsx", views.attraction_list_xlsx, name="attract_xlsx"),
    path("<slug:code>/attract.pdf", views.attraction_list_pdf, name="attract_pdf"),
]
