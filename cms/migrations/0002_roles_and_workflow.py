from django.db import migrations

# The groups, their permissions and the two-person workflow are applied after every migrate by
# cms.signal_handlers.apply_roles (from cms.roles), so that a permission added by any later app exists when it runs.


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("tutorials", "0001_initial"),
        ("bangban_media", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = []
