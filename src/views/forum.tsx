// The community forum's pages, inside the help center's frame: no JavaScript needed, every button a
// small form. Posts are plain text, escaped, one paragraph per blank-line-separated block.
import type { FieldErrors } from "../domain/errors";
import type { getTopic, TopicListItem } from "../domain/forum/forum";
import { CsrfField, ErrorSummary, Field, Notice } from "./form";
import { formatDateTime } from "./format";
import { HelpPage, type HelpShell } from "./kb/help";

function Paragraphs({ text }: { text: string }) {
  return (
    <>
      {text
        .split(/\n{2,}/)
        .map((p) => p.trim())
        .filter(Boolean)
        .map((p) => (
          <p safe>{p}</p>
        ))}
    </>
  );
}

export function CommunityPage({
  shell,
  topics,
  signedIn,
  notice,
}: {
  shell: HelpShell;
  topics: TopicListItem[];
  signedIn: boolean;
  notice?: string;
}) {
  return (
    <HelpPage
      shell={shell}
      title={`Community – ${shell.orgName}`}
      description={`Questions and answers from ${shell.orgName}'s customers and team.`}
      path="/community"
    >
      <h1>Community</h1>
      <Notice message={notice} />
      <p>
        {signedIn ? (
          <a href="/community/new" class="button">
            Ask the community
          </a>
        ) : (
          <a href="/login?next=%2Fcommunity%2Fnew">Sign in to ask or answer</a>
        )}
      </p>
      {topics.length === 0 ? <p class="empty">No questions yet.</p> : ""}
      <ul class="topics">
        {topics.map((t) => (
          <li data-topic={t.id}>
            <a href={`/community/topics/${t.id}`} safe>
              {t.title}
            </a>{" "}
            {t.pinned ? <span class="badge">Pinned</span> : ""}
            {t.answered ? <span class="badge answered">Answered</span> : ""}
            {t.locked ? <span class="badge">Locked</span> : ""}
            {t.hidden ? <span class="badge">Hidden</span> : ""}
            <br />
            <small class="muted" safe>
              {`${t.categoryName ? `${t.categoryName} · ` : ""}${t.authorName} · ${t.votes} vote${t.votes === 1 ? "" : "s"} · ${t.replies} repl${t.replies === 1 ? "y" : "ies"}`}
            </small>
          </li>
        ))}
      </ul>
    </HelpPage>
  );
}

export function NewTopicPage({
  shell,
  categories,
  values = {},
  fields = {},
  message,
}: {
  shell: HelpShell;
  categories: { id: string; name: string }[];
  values?: Record<string, string>;
  fields?: FieldErrors;
  message?: string;
}) {
  return (
    <HelpPage
      shell={shell}
      title="Ask the community"
      description="Ask a question"
      path="/community/new"
      noindex
    >
      <h1>Ask the community</h1>
      <ErrorSummary message={message} fields={Object.keys(fields).length ? fields : undefined} />
      <form method="post" action="/community/topics" class="narrow">
        <CsrfField token={shell.csrf} />
        <Field label="Your question, in a line" name="title" error={fields.title}>
          <input id="title" name="title" maxlength="150" required value={values.title ?? ""} />
        </Field>
        <Field label="Category" name="categoryId" error={fields.categoryId}>
          <select id="categoryId" name="categoryId">
            <option value="">General</option>
            {categories.map((c) => (
              <option value={c.id} selected={values.categoryId === c.id} safe>
                {c.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Details" name="body" error={fields.body}>
          <textarea id="body" name="body" rows="8" required safe>
            {values.body ?? ""}
          </textarea>
        </Field>
        <button type="submit">Post</button>
      </form>
    </HelpPage>
  );
}

type TopicView = Awaited<ReturnType<typeof getTopic>>;

function Button({
  csrf,
  action,
  label,
  name,
  value,
  secondary,
}: {
  csrf: string;
  action: string;
  label: string;
  name?: string;
  value?: string;
  secondary?: boolean;
}) {
  return (
    <form method="post" action={action} class="inline">
      <CsrfField token={csrf} />
      {name ? <input type="hidden" name={name} value={value ?? ""} /> : ""}
      <button type="submit" class={secondary ? "secondary" : undefined} safe>
        {label}
      </button>
    </form>
  );
}

export function TopicPage({
  shell,
  view,
  timeZone,
  signedIn,
  notice,
  reply,
}: {
  shell: HelpShell;
  view: TopicView;
  timeZone: string;
  signedIn: boolean;
  notice?: string;
  reply?: { value: string; error?: string };
}) {
  const { topic, posts, may } = view;
  const base = `/community/topics/${topic.id}`;
  return (
    <HelpPage
      shell={shell}
      title={`${topic.title} – ${shell.orgName} Community`}
      description={topic.body.slice(0, 155)}
      path={base}
      noindex={topic.hidden}
    >
      <p>
        <a href="/community">Community</a>
      </p>
      <Notice message={notice} />
      <article class="topic" data-topic={topic.id}>
        <h1 safe>{topic.title}</h1>
        <p class="muted" safe>
          {`${view.authorName} · ${formatDateTime(topic.createdAt, timeZone)} · ${topic.votes} vote${topic.votes === 1 ? "" : "s"}`}
        </p>
        <Paragraphs text={topic.body} />
        {may.reply ? (
          <Button csrf={shell.csrf} action={`${base}/vote`} label="Vote up (or take it back)" secondary />
        ) : (
          ""
        )}
      </article>
      {may.moderate ? (
        <section class="card moderation">
          <strong>Moderate:</strong>{" "}
          <Button
            csrf={shell.csrf}
            action={`${base}/moderate`}
            name="action"
            value={topic.hidden ? "show" : "hide"}
            label={topic.hidden ? "Show" : "Hide"}
            secondary
          />{" "}
          <Button
            csrf={shell.csrf}
            action={`${base}/moderate`}
            name="action"
            value={topic.locked ? "unlock" : "lock"}
            label={topic.locked ? "Unlock" : "Lock"}
            secondary
          />{" "}
          <Button
            csrf={shell.csrf}
            action={`${base}/moderate`}
            name="action"
            value={topic.pinned ? "unpin" : "pin"}
            label={topic.pinned ? "Unpin" : "Pin"}
            secondary
          />{" "}
          {topic.ticketId ? (
            <span class="muted">Turned into a ticket.</span>
          ) : (
            <Button csrf={shell.csrf} action={`${base}/ticket`} label="Make it a ticket" secondary />
          )}{" "}
          {may.toArticle ? (
            topic.articleId ? (
              <a href={`/desk/kb/${topic.articleId}`}>Its article</a>
            ) : (
              <Button csrf={shell.csrf} action={`${base}/article`} label="Make it an article" secondary />
            )
          ) : (
            ""
          )}
        </section>
      ) : (
        ""
      )}
      <h2 safe>{`${posts.length} repl${posts.length === 1 ? "y" : "ies"}`}</h2>
      <ol class="posts">
        {posts.map((p) => {
          const accepted = topic.acceptedPostId === p.id;
          return (
            <li data-post={p.id} class={accepted ? "accepted" : undefined}>
              {accepted ? <p class="badge answered">Accepted answer</p> : ""}
              {p.hidden ? <p class="badge">Hidden</p> : ""}
              <Paragraphs text={p.body} />
              <p class="muted" safe>
                {`${p.authorName}${p.authorRole !== "customer" ? " (team)" : ""} · ${formatDateTime(p.createdAt, timeZone)} · ${p.votes} vote${p.votes === 1 ? "" : "s"}`}
              </p>
              {may.reply ? (
                <Button
                  csrf={shell.csrf}
                  action={`${base}/vote`}
                  name="postId"
                  value={p.id}
                  label="Vote up"
                  secondary
                />
              ) : (
                ""
              )}{" "}
              {may.accept ? (
                <Button
                  csrf={shell.csrf}
                  action={`${base}/accept`}
                  name="postId"
                  value={p.id}
                  label={accepted ? "Not the answer" : "This answered it"}
                  secondary
                />
              ) : (
                ""
              )}{" "}
              {may.moderate ? (
                <form method="post" action={`${base}/moderate`} class="inline">
                  <CsrfField token={shell.csrf} />
                  <input type="hidden" name="postId" value={p.id} />
                  <button type="submit" name="action" value={p.hidden ? "show" : "hide"} class="secondary">
                    {p.hidden ? "Show reply" : "Hide reply"}
                  </button>
                </form>
              ) : (
                ""
              )}
            </li>
          );
        })}
      </ol>
      {may.reply ? (
        <form method="post" action={`${base}/replies`} class="narrow">
          <CsrfField token={shell.csrf} />
          <Field label="Your answer" name="body" error={reply?.error}>
            <textarea id="body" name="body" rows="6" required safe>
              {reply?.value ?? ""}
            </textarea>
          </Field>
          <button type="submit">Reply</button>
        </form>
      ) : topic.locked ? (
        <p class="muted">This topic is locked.</p>
      ) : signedIn ? (
        ""
      ) : (
        <p>
          <a href={`/login?next=${encodeURIComponent(base)}`}>Sign in to answer</a>
        </p>
      )}
    </HelpPage>
  );
}
