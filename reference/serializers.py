from core.serializers import PageLinkSerializer
from reference.models import Country, Theme


class ThemeSerializer(PageLinkSerializer):
    class Meta:
        model = Theme
        fields = ["url", "page_url", "slug", "name", "description"]


class CountrySerializer(PageLinkSerializer):
    class Meta:
        model = Country
        fields = ["url", "page_url", "code", "name", "region"]
