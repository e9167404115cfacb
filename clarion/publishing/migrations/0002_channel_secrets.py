"""Channel account tokens move from plain JSON (settings["token"]) to an encrypted column."""

import clarion.core.secrets
from django.db import migrations


def encrypt_tokens(apps, schema_editor):
    from clarion.core.secrets import encrypt

    ChannelAccount = apps.get_model("publishing", "ChannelAccount")
    for account in ChannelAccount.objects.filter(settings__has_key="token"):
        token = account.settings.pop("token")
        if token and not account.secret_token:
            account.secret_token = encrypt(str(token))
        account.save(update_fields=["settings", "secret_token"])


def decrypt_tokens(apps, schema_editor):
    from clarion.core.secrets import decrypt

    ChannelAccount = apps.get_model("publishing", "ChannelAccount")
    for account in ChannelAccount.objects.exclude(secret_token=""):
        account.settings["token"] = decrypt(account.secret_token)
        account.save(update_fields=["settings"])


class Migration(migrations.Migration):

    dependencies = [
        ('publishing', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='channelaccount',
            name='secret_token',
            field=clarion.core.secrets.SecretField(blank=True, help_text='The access token, encrypted (Fernet); empty when none is set.'),
        ),
        migrations.RunPython(encrypt_tokens, decrypt_tokens, elidable=False),
    ]
