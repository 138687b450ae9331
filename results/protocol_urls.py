"""URLs of the protocol pages (included by results.staff_urls)."""

urlpatterns: list = []
