"""URLs of the entry pages (included by results.staff_urls)."""

urlpatterns: list = []
