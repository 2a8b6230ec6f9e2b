package org.pipewright.store;

import org.pipewright.lock.LockEpochs;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The lock epoch in the one row of {@code lock_epoch}. */
@Repository
class JdbcLockEpochs implements LockEpochs {

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;

  JdbcLockEpochs(JdbcClient jdbc, PlatformTransactionManager transactions) {
    this.jdbc = jdbc;
    this.transactions = new TransactionTemplate(transactions);
  }

  /**
   * Increments, then reads, in one transaction: the update holds the row's lock until the commit,
   * so two control planes on one database never read the same epoch.
   */
  @Override
  public long next() {
    Long epoch =
        transactions.execute(status -> {
          int updated = jdbc.sql("update lock_epoch set epoch = epoch + 1 where id = 1").update();
          if (updated != 1) {
            throw new IllegalStateException("the lock_epoch row is missing");
          }
          return jdbc.sql("select epoch from lock_epoch where id = 1").query(Long.class).single();
        });
    if (epoch == null) {
      throw new IllegalStateException("the lock_epoch row is missing");
    }
    return epoch;
  }
}
