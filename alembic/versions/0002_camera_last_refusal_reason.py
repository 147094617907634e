"""camera: why the read store last refused one of its reads

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04 01:30:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0002'
down_revision: Union[str, None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # existing refusals have no recorded reason: "" (the page then shows the count alone)
    with op.batch_alter_table('camera') as batch:
        batch.add_column(sa.Column('last_refusal_reason', sqlmodel.sql.sqltypes.AutoString(length=80),
                                   nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('camera') as batch:
        batch.drop_column('last_refusal_reason')
