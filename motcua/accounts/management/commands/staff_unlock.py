"""`manage.py staff_unlock USERNAME [--reset-2fa]` — lift a sign-in lock from the command line."""

from django.core.management.base import BaseCommand, CommandError

from motcua.accounts import signin, totp
from motcua.accounts.models import User


class Command(BaseCommand):
    help = (
        "Mở khóa đăng nhập của một tài khoản cán bộ bị khóa do đăng nhập sai nhiều lần; "
        "--reset-2fa xóa ứng dụng xác thực đã đăng ký (khi cán bộ mất điện thoại)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--reset-2fa", action="store_true", dest="reset_2fa")

    def handle(self, username, reset_2fa=False, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có tài khoản “{username}”.")
        signin.account_unlock(None, user.pk)
        if reset_2fa:
            totp.totp_reset(user)
        self.stdout.write(f"Đã mở khóa tài khoản {username}.")
