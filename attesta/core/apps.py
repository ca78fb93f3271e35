from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "attesta.core"
    verbose_name = "Socle"

    def ready(self) -> None:
        # Lets annotated generics such as ModelAdmin[Model] or ModelSerializer[Model] run.
        # Imported here, not in settings: DRF reads its settings when its modules load.
        import django_stubs_ext
        from rest_framework import serializers, viewsets

        django_stubs_ext.monkeypatch(
            extra_classes=[
                serializers.ModelSerializer,
                serializers.Serializer,
                viewsets.ReadOnlyModelViewSet,
            ]
        )
