"""Every place a phone number is typed stores the canonical 62… form, or refuses the
number with a clear message and stores nothing."""

import io

import pytest

from app.extensions import db
from app.models import Admin, Pegawai

PEGAWAI = {"id_pegawai": "PGW2411009", "nama_pegawai": "Budi", "status": "Aktif"}


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0813-1111-2222", "6281311112222"),
        ("+62 813 1111 2222", "6281311112222"),
        ("813 1111 2222", "6281311112222"),
        ("٠٨١٣١١١١٢٢٢٢", "6281311112222"),
        ("０８１３－１１１１－２２２２", "6281311112222"),
        ("+62 (0) 813 1111 2222", "6281311112222"),
        ("bukan nomor", None),
        ("0813", None),
        ("0000000000", None),
    ],
)
def test_the_pegawai_form(app, staf, typed, stored):
    response = staf.post("/pegawai/baru", data=dict(PEGAWAI, telepon=typed))
    with app.app_context():
        row = db.session.get(Pegawai, "PGW2411009")
        if stored:
            assert response.status_code == 302
            assert row.telepon == stored
        else:
            assert "Nomor telepon tidak valid." in response.get_data(as_text=True)
            assert row is None


def test_a_very_long_number_is_refused_in_indonesian(app, staf):
    response = staf.post("/pegawai/baru", data=dict(PEGAWAI, telepon="0813" * 500))
    assert "Paling banyak 30 karakter." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Pegawai, "PGW2411009") is None


def test_editing_a_pegawai_refuses_an_unreadable_number_and_keeps_the_old_one(app, staf):
    data = {
        "id_pegawai": "PGW2402001",
        "nama_pegawai": "R Marta Dinata",
        "status": "Aktif",
        "telepon": "08xx",
    }
    assert "Nomor telepon tidak valid." in staf.post("/pegawai/PGW2402001", data=data).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Pegawai, "PGW2402001").telepon == "6282111476069"


@pytest.mark.parametrize(
    ("level", "typed", "stored", "error"),
    [
        ("TBO", "0812-5555-0000", "6281255550000", None),
        ("TBO", "", None, "wajib untuk TBO"),
        ("TBO", "nomor kantor", None, "tidak valid"),
        ("Staf", "", "", None),
        ("Staf", "12", None, "tidak valid"),
        ("TBO", "082124603757", None, "sudah dipakai Siswanto (ADM04)"),
    ],
)
def test_the_account_form(app, administrator, level, typed, stored, error):
    data = {"nama_admin": "Orang Baru", "level": level, "telepon": typed, "status": "Aktif"}
    if level == "Staf":
        data.update(username="orangbaru", password="panjang-sekali")
    response = administrator.post("/admin/baru", data=data)
    with app.app_context():
        row = db.session.query(Admin).filter_by(nama_admin="Orang Baru").one_or_none()
        if error:
            assert error in response.get_data(as_text=True)
            assert row is None
        else:
            assert response.status_code == 302
            assert row.telepon == stored


@pytest.mark.parametrize(
    ("args", "stored", "error"),
    [
        (["--level", "TBO", "--telepon", "0812 7000 1234"], "6281270001234", None),
        (["--level", "TBO"], None, "wajib untuk TBO"),
        (["--level", "TBO", "--telepon", "tidak tahu"], None, "tidak valid"),
        (["--telepon", "082124603757"], None, "sudah dipakai Siswanto (ADM04)"),
        ([], "", None),
    ],
)
def test_create_admin(app, runner, args, stored, error):
    result = runner.invoke(
        args=["create-admin", "--username", "baru", "--nama", "Baru", "--password", "rahasia-panjang", *args]
    )
    with app.app_context():
        row = db.session.query(Admin).filter_by(username="baru").one_or_none()
        if error:
            assert result.exit_code != 0
            assert error in result.output
            assert "Traceback" not in result.output
            assert row is None
        else:
            assert result.exit_code == 0, result.output
            assert row.telepon == stored


def test_create_admin_resets_a_password_and_keeps_the_number(app, runner):
    result = runner.invoke(
        args=["create-admin", "--username", "siswanto", "--nama", "Siswanto", "--level", "TBO"],
        input="sandi-baru-123\nsandi-baru-123\n",
    )
    assert result.exit_code == 0, result.output
    assert "ADM04" in result.output and "diperbarui" in result.output
    with app.app_context():
        row = db.session.get(Admin, "ADM04")
        assert row.telepon == "6282124603757"
        assert row.check_password("sandi-baru-123")


def test_an_import_refuses_a_number_held_in_its_old_spelling(app, staf):
    """A number an adopted database could not normalise (see adoption) still belongs to
    its holder."""
    with app.app_context():
        db.session.get(Pegawai, "PGW2402001").telepon = "082111476069"
        db.session.commit()
    page = staf.post(
        "/pegawai/impor",
        data={"berkas": (io.BytesIO(b"nama,telepon\nZed,0821-1147-6069\nYan,0813-0000-1111\n"), "p.csv")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "1 baris siap, 1 baris bermasalah" in page
    assert "sudah dipakai R Marta Dinata (PGW2402001)" in page
