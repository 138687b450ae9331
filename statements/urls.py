"""The public results page: published statements and results."""

app_name = "statements"

urlpatterns: list = []
