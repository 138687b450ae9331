"""Staff pages of results: protocols and quarantine, double entry, official results and the
comparisons. Each area keeps its URLs in its own module; names are in the results_staff
namespace."""

from results.entry_urls import urlpatterns as entry_urlpatterns
from results.official_urls import urlpatterns as official_urlpatterns
from results.protocol_urls import urlpatterns as protocol_urlpatterns

app_name = "results_staff"

urlpatterns = [*protocol_urlpatterns, *entry_urlpatterns, *official_urlpatterns]
