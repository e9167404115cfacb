"""`clarion secrets …` as a user runs it: tokens never sit in the database file in clear."""

from __future__ import annotations

from cryptography.fernet import Fernet

from tests.cli.test_cli import clarion

TOKEN = "mastodon-token-5f1c9e"
ADD_ACCOUNT = (
    "from clarion.brands.models import Brand; "
    "from clarion.publishing.models import ChannelAccount; "
    "ChannelAccount.objects.create(brand=Brand.objects.get(), platform='Mastodon', "
    f"kind='mastodon', base_url='https://social.example', token='{TOKEN}')"
)
READ_TOKEN = (
    "from clarion.publishing.models import ChannelAccount; "
    "print(ChannelAccount.objects.get().token)"
)


def database_bytes(home) -> bytes:
    return b"".join(p.read_bytes() for p in home.glob("clarion.sqlite3*"))


def test_rotating_keys_keeps_every_token_readable_under_the_new_key(tmp_path):
    home = tmp_path / "home"
    key_a, key_b = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    assert clarion(home, "brand", "create", "examples/brief.yaml").returncode == 0
    added = clarion(home, "manage", "shell", "-c", ADD_ACCOUNT, CLARION_ENCRYPTION_KEYS=key_a)
    assert added.returncode == 0, added.stderr
    assert TOKEN.encode() not in database_bytes(home)

    rotated = clarion(home, "secrets", "rotate", CLARION_ENCRYPTION_KEYS=f"{key_b},{key_a}")
    assert rotated.returncode == 0, rotated.stderr
    assert "Re-encrypted 1 stored secrets" in rotated.stdout

    read = clarion(home, "manage", "shell", "-c", READ_TOKEN, CLARION_ENCRYPTION_KEYS=key_b)
    assert read.returncode == 0, read.stderr
    assert read.stdout.strip().splitlines()[-1] == TOKEN

    stale = clarion(home, "secrets", "rotate", CLARION_ENCRYPTION_KEYS=key_a)
    assert stale.returncode == 1
    assert "No key opens: publishing.ChannelAccount" in stale.stdout


def test_a_malformed_key_is_one_clear_error(tmp_path):
    result = clarion(tmp_path / "home", "secrets", "rotate", CLARION_ENCRYPTION_KEYS="abc")

    assert result.returncode == 2
    assert "key 1 of 1 in CLARION_ENCRYPTION_KEYS is not a Fernet key" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_keys_may_come_from_a_file(tmp_path):
    keys = tmp_path / "keys"
    keys.write_text(f"{Fernet.generate_key().decode()},not-a-key\n", encoding="utf-8")

    result = clarion(tmp_path / "home", "secrets", "rotate", CLARION_ENCRYPTION_KEYS_FILE=str(keys))

    assert result.returncode == 2
    assert "key 2 of 2 in CLARION_ENCRYPTION_KEYS is not a Fernet key" in result.stderr
    assert "not-a-key" not in result.stderr
