"""URLs of the official pages (included by results.staff_urls)."""

urlpatterns: list = []
