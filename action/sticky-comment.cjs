// One comment per pull request, found again by a marker and updated in place on every push.
const { readFileSync } = require('node:fs');

const MARKER = '<!-- ni-config-diff -->';

module.exports = async function sticky({ github, context, file }) {
  const body = `${MARKER}\n${readFileSync(file, 'utf8')}`;
  const { owner, repo } = context.repo;
  const issue_number = context.issue.number;
  const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number, per_page: 100 });
  const mine = comments.find((c) => typeof c.body === 'string' && c.body.startsWith(MARKER));
  if (mine) {
    if (mine.body !== body) await github.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body });
    return { action: mine.body === body ? 'unchanged' : 'updated', id: mine.id };
  }
  const created = await github.rest.issues.createComment({ owner, repo, issue_number, body });
  return { action: 'created', id: created.data.id };
};
