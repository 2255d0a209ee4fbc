from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0005_one_current_final_document"),
    ]

    operations = [
        migrations.AddField(
            model_name="responseattachment",
            name="text_status",
            field=models.CharField(
                choices=[
                    ("pending", "Text being extracted"),
                    ("extracted", "Text extracted"),
                    ("not_extracted", "Text not extracted"),
                ],
                default="extracted",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="responseattachment",
            name="text_not_extracted_reason",
            field=models.TextField(blank=True),
        ),
    ]
